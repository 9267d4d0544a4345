FROM golang:1.22 AS runtime
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .
ENTRYPOINT ["/app"]
