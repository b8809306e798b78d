#!/bin/sh
# Restore a backup made by backup.sh. Stop every salesbot process first.
#   restore.sh DATABASE_URL BACKUP_FILE [MEDIA_ARCHIVE MEDIA_DIR]
# SQLite: the current file is kept as <file>.before-restore. PostgreSQL: the dump replaces the
# schema's objects in one transaction. Run `salesbot migrate` afterwards (a no-op when current).
set -eu
url=$1
file=$2
case "$url" in
  sqlite://*)
    path=${url#sqlite://}
    if [ -f "$path" ]; then mv "$path" "$path.before-restore"; fi
    rm -f "$path-wal" "$path-shm"
    cp "$file" "$path"
    ;;
  postgres://*|postgresql://*)
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --dbname="$url" "$file"
    ;;
  *)
    echo "unsupported database url: $url" >&2
    exit 2
    ;;
esac
if [ $# -ge 4 ]; then
  mkdir -p "$4"
  tar -xzf "$3" -C "$4"
fi
echo "restored $file"
