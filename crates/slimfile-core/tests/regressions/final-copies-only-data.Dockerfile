FROM golang:1.22 AS build
RUN mkdir -p /out && echo x > /out/app.conf

FROM ubuntu:22.04
COPY --from=build /out/app.conf /etc/app.conf
CMD ["nginx", "-c", "/etc/app.conf"]
