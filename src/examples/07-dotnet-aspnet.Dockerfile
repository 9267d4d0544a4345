FROM mcr.microsoft.com/dotnet/sdk:10.0

WORKDIR /src
COPY ["Catalog.Api/Catalog.Api.csproj", "Catalog.Api/"]
RUN dotnet restore "Catalog.Api/Catalog.Api.csproj"

COPY . .
WORKDIR /src/Catalog.Api
RUN dotnet publish -c Release -o /app/publish

WORKDIR /app/publish
ENV ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
ENTRYPOINT ["dotnet", "Catalog.Api.dll"]
