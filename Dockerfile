# 排污许可证后管理系统 — production image (web, Celery worker and beat all run from it).
# See docker-compose.yml; the default command serves the web application with gunicorn.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DATA_DIR=/data

# WeasyPrint's libraries, fast font subsetting and a CJK font (the same list as the Makefile's DEBS_RUNTIME).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

# Runtime dependencies only: pyproject.toml declares no packages, so this installs just the
# dependencies (pinned by constraints.txt); the code itself runs from /app. "celery[redis]" brings
# kombu's Redis transport requirements (packaging), which the plain celery and redis entries lack.
COPY pyproject.toml constraints.txt /tmp/deps/
RUN pip install -c /tmp/deps/constraints.txt /tmp/deps "celery[redis]" && rm -rf /tmp/deps

# A non-root user that owns DATA_DIR (and so the volumes mounted below it); the code stays root-owned.
RUN groupadd --gid 1000 app \
    && useradd --uid 1000 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && mkdir -p /data/media \
    && chown -R app:app /data

WORKDIR /app
COPY . /app

USER app
RUN DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput -v0

EXPOSE 8000

# /healthz answers 200 only when the database and the broker answer. The Host header is the first
# entry of ALLOWED_HOSTS, so the check passes whatever host names the deployment allows.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = next((x.strip().lstrip('.') for x in os.environ.get('ALLOWED_HOSTS', '').split(',') if x.strip() not in ('', '*')), 'localhost'); u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=8)"]

CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-", "--error-logfile", "-"]
