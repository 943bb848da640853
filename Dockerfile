# One image for the api and the worker (docker-compose.yml picks the command).
# For machines that can pull images; the two-command path in the README needs no Docker registry.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig*.json nest-cli.json ./
COPY src src
COPY migrations migrations
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY templates templates
COPY public public
COPY sandboxes sandboxes
# The data directory (generated session secret, mail files) on a volume shared by api and worker.
RUN mkdir -p /var/lib/hiring && chown node:node /var/lib/hiring
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
