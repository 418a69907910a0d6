# The production image (docs/operations.md#the-container-image): one image for every process
# of the Procfile, chosen by its argument (`docker run IMAGE web`, `... beat`).
# Stage 1: front-end packages from npm (Leaflet is served from our own static files).
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# Stage 2: the Python packages in a virtualenv, translations compiled, static files collected.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements/ requirements/
RUN pip install -r requirements/base.txt
WORKDIR /app
COPY . .
COPY --from=assets /src/node_modules node_modules
# collectstatic imports the production settings, which refuse to start without secrets: these
# throwaway values exist only for this build step and are not kept in the image.
RUN python manage.py compilemessages --ignore=node_modules -v 0 \
 && SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_hex(32))')" \
    STRIPE_SECRET_KEY=build STRIPE_PUBLISHABLE_KEY=build STRIPE_WEBHOOK_SECRET=build \
    DJANGO_SETTINGS_MODULE=almaheritage.settings.production python manage.py collectstatic --noinput -v 0 \
 && SECRET_KEY=build STRIPE_SECRET_KEY=build STRIPE_PUBLISHABLE_KEY=build STRIPE_WEBHOOK_SECRET=build \
    DJANGO_SETTINGS_MODULE=almaheritage.settings.production python manage.py build_places \
 && find node_modules -mindepth 1 -maxdepth 1 ! -name leaflet -exec rm -rf {} + \
 && rm -rf .ci bench

# Stage 3: what runs. WeasyPrint's libraries (Pango, HarfBuzz) and fonts for invoices and PDF
# exports, no compiler, no npm, and a user without privileges.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 alma \
    && useradd --system --uid 10001 --gid alma --home-dir /app --shell /usr/sbin/nologin alma \
    && mkdir -p /srv/alma/media /srv/alma/var && chown -R alma:alma /srv/alma
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=almaheritage.settings.production \
    MEDIA_ROOT=/srv/alma/media \
    ALMA_VAR_DIR=/srv/alma/var \
    PORT=8000
USER alma:alma
EXPOSE 8000
VOLUME ["/srv/alma/media", "/srv/alma/var"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)" || exit 1
ENTRYPOINT ["bin/run-process"]
CMD ["web"]
