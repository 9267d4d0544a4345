# Distroless-style runtime images assembled from Debian 12 packages, the way distroless itself is
# (rules_distroless unpacks .deb files into an empty root; no dpkg, no apt, no shell unless a package
# brings one). One recipe for every variant:
#   static   : base-files netbase tzdata + CA certificates, /etc/passwd with root, nobody and nonroot (65532), /tmp
#   base     : static + libc6 libssl3
#   cc       : base + libgcc-s1 libstdc++6 libgomp1
#   python3  : cc + Debian's python3 (3.11) and its dependency closure
#   nodejs   : cc + Debian's nodejs (18) and its dependency closure, ENTRYPOINT /nodejs/bin/node
#   java     : cc + Debian's openjdk-17-jre-headless, ENTRYPOINT /usr/bin/java -jar
# build: buildah bud --build-arg PACKAGES="…" -f distroless.Dockerfile (:nonroot; build.sh makes :latest)
FROM localhost/debian:bookworm AS build
ARG PACKAGES=""
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null
# The closure of the requested packages without what Debian's essential set pulls in around them
# (dpkg, perl, debconf: distroless has none of them).
RUN mkdir -p /debs /rootfs && cd /debs \
 && closure="" \
 && if [ -n "$PACKAGES" ]; then closure=$(apt-cache depends --recurse --no-recommends --no-suggests \
        --no-conflicts --no-breaks --no-replaces --no-enhances --no-pre-depends $PACKAGES \
        | grep -v '^ ' | grep -v '^<' | sort -u \
        | grep -vE '^(debconf|debconf-2.0|cdebconf|libdebian-installer4|libnewt0.52|libslang2|libtextwrap1|perl-base|dpkg|libc-bin|mawk|coreutils|dash|bash|debianutils|sensible-utils|libdebconfclient0|install-info|ucf|init-system-helpers|adduser|passwd|login|libpam.*|lsb-base|sysvinit-utils|libselinux1|libaudit.*|libsemanage.*|libsepol2|libcap-ng0|libbz2-1.0|libacl1|libattr1|libgmp10|debian-archive-keyring|gpgv|tar|util-linux|libsystemd0|readline-common|libreadline8|media-types|java-common|ca-certificates-java|openjdk-17-jre-headless|base-files|netbase|tzdata)$'); fi \
 && extra=$(for p in $PACKAGES; do case $p in libbz2-1.0|media-types|libreadline8|readline-common|openjdk-17-jre-headless) echo "$p";; esac; done) \
 && apt-get download -qq base-files netbase tzdata $closure $extra >/dev/null \
 && for d in *.deb; do dpkg-deb -x "$d" /rootfs; done \
 && ls /debs > /rootfs/.packages
RUN cd /rootfs \
 && mkdir -p etc/ssl/certs tmp home/nonroot root var/lib/dpkg/status.d \
 && cp /etc/ssl/certs/ca-certificates.crt etc/ssl/certs/ \
 && chmod 1777 tmp && chown 65532:65532 home/nonroot && chmod 700 root \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > etc/passwd \
 && printf 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n' > etc/group \
 && rm -rf usr/share/doc/*/changelog* usr/share/man usr/share/info usr/share/lintian \
 && if [ -x usr/bin/node ]; then mkdir -p nodejs/bin && ln -s /usr/bin/node nodejs/bin/node; fi \
 && if [ -d usr/lib/jvm/java-17-openjdk-amd64 ]; then ln -sf /usr/lib/jvm/java-17-openjdk-amd64/bin/java usr/bin/java; fi

FROM scratch
COPY --from=build /rootfs /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532
WORKDIR /home/nonroot
