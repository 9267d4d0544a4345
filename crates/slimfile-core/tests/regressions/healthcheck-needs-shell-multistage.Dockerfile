FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .

FROM alpine:3.19
ENV PORT=8080
COPY --from=build /app /app
HEALTHCHECK CMD /app -health -port=$PORT || exit 1
ENTRYPOINT ["/app"]
