# One image for both Evoscope processes; docker-compose.yml picks the entry
# point (worker/main.ts or api/main.ts). Run with tsx, as in development.
FROM node:20-bookworm-slim

# isolated-vm compiles with node-gyp at install time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# The console bundle the API serves at `/` (skipped while web/ has no page).
RUN if [ -f web/index.html ]; then npx vite build web; fi

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    EVOSCOPE_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 4000
# isolated-vm asks for --no-node-snapshot.
CMD ["node", "--no-node-snapshot", "--import", "tsx", "api/main.ts"]
