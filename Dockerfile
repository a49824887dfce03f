# The gate's own image, for Cloud Deploy's verify job (skaffold.yaml). Build it from the
# repository that holds the gate (pytest.ini, conftest.py, env.yaml, tests/acceptance/):
#   docker build -f docs/ci/clouddeploy/Dockerfile -t REGION-docker.pkg.dev/PROJECT/gate/cloudrun-acceptance .
FROM python:3.11-slim

# The gate as your requirements name it (cloudrun-acceptance init writes where it came from).
ARG GATE_REQUIREMENT=cloudrun-acceptance
RUN pip install --no-cache-dir "${GATE_REQUIREMENT}"

WORKDIR /gate
COPY pytest.ini conftest.py env.yaml ./
COPY tests/acceptance/ tests/acceptance/

# The verify job's exit code is the verification: 0 passes the phase, anything else fails it.
ENTRYPOINT ["cloudrun-acceptance", "verify"]
