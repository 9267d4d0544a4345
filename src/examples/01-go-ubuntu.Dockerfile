FROM ubuntu
RUN apt-get update && apt-get install -y golang-go
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .
ENTRYPOINT ["/app"]
