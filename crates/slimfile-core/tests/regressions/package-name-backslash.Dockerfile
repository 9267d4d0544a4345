FROM golang:1.22-alpine
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .
RUN apk add --no-cache bash "\\"
CMD ["/bin/bash", "-c", "/app"]
