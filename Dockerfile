# The newsetl image for Kubernetes (deploy/README.md): the user-code server of the Dagster Helm chart,
# and the image of every run and step pod. Build from the project root:
#   docker build -t registry.example.com/newsetl:0.1.0 .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DAGSTER_DISABLE_TELEMETRY=1

WORKDIR /opt/newsetl

# The exact versions the tests ran with (dagster, dagster-k8s, dagster-postgres for the chart's run storage).
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

# The project runs from its folder: sql/ and the samples are found beside the packages.
COPY pyproject.toml README.md ./
COPY newsetl ./newsetl
COPY assets ./assets
COPY orchestration ./orchestration
COPY sql ./sql
COPY samples ./samples
RUN pip install --no-cache-dir --no-deps -e . \
    && useradd --create-home --uid 10001 newsetl \
    && mkdir -p /var/lib/newsetl/catalog && chown newsetl /var/lib/newsetl/catalog

USER newsetl
# The Helm chart overrides this with the user deployment's dagsterApiGrpcArgs.
EXPOSE 3030
CMD ["dagster", "api", "grpc", "--module-name", "orchestration.definitions", "--working-directory", "/opt/newsetl", "--host", "0.0.0.0", "--port", "3030"]
