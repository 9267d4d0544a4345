FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .

FROM alpine:3.19
COPY --from=build /app /app
HEALTHCHECK CMD /app -health || exit 1
ENTRYPOINT ["/app"]
