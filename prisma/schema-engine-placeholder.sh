#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here.
# `prisma generate` only asks it for its version; migrations run through the wasm
# engine in src/db/migrate.ts instead (npm run db:deploy / db:migrate).
if [ "$1" = "--version" ]; then
  echo "schema-engine-placeholder 7.10.0"
  exit 0
fi
echo "Churnwatch: the native Prisma schema engine is not used. Run 'npm run db:deploy' or 'npm run db:migrate -- --name <name>' instead of 'prisma migrate'/'prisma db'." >&2
exit 1
