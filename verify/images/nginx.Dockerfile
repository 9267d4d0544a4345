# nginxinc/nginx-unprivileged stand-in: Debian 12's nginx (1.22) set up as the unprivileged image is:
# user nginx (101), pid and temp files in /tmp, listens on 8080, serves /usr/share/nginx/html, reads
# /etc/nginx/conf.d/*.conf, errors to stderr (fd 2: buildah chroot gives a non-root user no /dev/stderr to open), access log in /tmp.
ARG BASE=localhost/debian:bookworm
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends nginx-light \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
 && groupadd -g 101 nginx && useradd -u 101 -g 101 -d /nonexistent -s /usr/sbin/nologin nginx \
 && mkdir -p /usr/share/nginx/html /etc/nginx/conf.d \
 && echo '<h1>Welcome to nginx!</h1>' > /usr/share/nginx/html/index.html \
 && printf 'server {\n    listen 8080;\n    root /usr/share/nginx/html;\n    index index.html;\n}\n' > /etc/nginx/conf.d/default.conf \
 && printf 'worker_processes auto;\nerror_log stderr notice;\npid /tmp/nginx.pid;\nevents { worker_connections 1024; }\nhttp {\n    client_body_temp_path /tmp/client_temp;\n    proxy_temp_path /tmp/proxy_temp_path;\n    fastcgi_temp_path /tmp/fastcgi_temp;\n    uwsgi_temp_path /tmp/uwsgi_temp;\n    scgi_temp_path /tmp/scgi_temp;\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n    access_log /tmp/access.log;\n    sendfile on;\n    include /etc/nginx/conf.d/*.conf;\n}\n' > /etc/nginx/nginx.conf \
 && chown -R 101:0 /etc/nginx/conf.d /usr/share/nginx/html /var/lib/nginx /var/log/nginx \
 && chmod -R g+w /etc/nginx/conf.d
EXPOSE 8080
STOPSIGNAL SIGQUIT
USER 101
CMD ["nginx", "-g", "daemon off;"]
