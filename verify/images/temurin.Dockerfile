# eclipse-temurin:N-jdk and :N-jre stand-ins (--target jdk or jre): Temurin's images are Ubuntu (noble) with the
# JDK or JRE in /opt/java/openjdk on PATH; here Ubuntu's openjdk-N-jdk-headless or openjdk-N-jre-headless, linked
# to the same place (JAVA_HOME=/opt/java/openjdk). The JDK image's command is jshell; the JRE image has none.
ARG BASE=localhost/ubuntu:noble
FROM ${BASE} AS java
ARG JAVA_VERSION=17
ARG KIND=jdk
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-$JAVA_VERSION-$KIND-headless ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /opt/java && ln -s /usr/lib/jvm/java-$JAVA_VERSION-openjdk-amd64 /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

FROM java AS jre

FROM java AS jdk
CMD ["jshell"]
