# maven:3.9-eclipse-temurin-17 stand-in: Debian 12's maven (3.8.7) and OpenJDK 17 JDK. No Maven Central is
# reachable here, so central is mirrored to Debian's own Maven repository (/usr/share/maven-repo), which
# holds the plugins Debian packages (compiler 3.10.1, resources 3.3.0, jar 3.3.0, surefire 2.22.3,
# install 3.1.0): a pom.xml that pins those versions builds as it would against Central.
ARG BASE=localhost/debian:bookworm
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
        libmaven-compiler-plugin-java libmaven-resources-plugin-java libmaven-jar-plugin-java \
        libsurefire-java libmaven-install-plugin-java \
 && rm -rf /var/lib/apt/lists/* \
 && printf '<settings>\n  <mirrors>\n    <mirror>\n      <id>debian</id>\n      <mirrorOf>*</mirrorOf>\n      <url>file:///usr/share/maven-repo</url>\n    </mirror>\n  </mirrors>\n</settings>\n' > /etc/maven/settings.xml
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 MAVEN_HOME=/usr/share/maven
CMD ["mvn"]
