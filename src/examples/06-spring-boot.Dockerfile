FROM maven:3.9.6-eclipse-temurin-21

WORKDIR /app

COPY pom.xml .
RUN mvn -B dependency:go-offline

COPY src ./src
RUN mvn -B package -DskipTests

EXPOSE 8080
ENTRYPOINT ["java", "-jar", "target/orders-service-1.4.2.jar"]
