# One image for every service; the command picks the service and process kind.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY services ./services
RUN pip install --no-cache-dir .
ENV PYTHONUNBUFFERED=1
USER nobody
# web:    gunicorn -c python:shared.web.gunicorn_conf --workers 2 --threads 8 -b 0.0.0.0:8000 'services.intake.app:create_app()'
# worker: python -m services.intake.worker
