#!/bin/sh
# Back up salesbot's database (SQLite or PostgreSQL) and, optionally, its media folder.
#   backup.sh DATABASE_URL DEST_DIR [MEDIA_DIR]
# Safe while the bot runs: SQLite's online backup and pg_dump both read a consistent snapshot.
# Prints the files it wrote.
set -eu
url=$1
dest=$2
media=${3:-}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
case "$url" in
  sqlite://*)
    out="$dest/salesbot-$stamp.sqlite3"
    sqlite3 "${url#sqlite://}" ".backup '$out'"
    ;;
  postgres://*|postgresql://*)
    out="$dest/salesbot-$stamp.dump"
    pg_dump --format=custom --no-owner --no-privileges --dbname="$url" --file="$out"
    ;;
  *)
    echo "unsupported database url: $url" >&2
    exit 2
    ;;
esac
echo "$out"
if [ -n "$media" ]; then
  tar -czf "$dest/salesbot-media-$stamp.tar.gz" -C "$media" .
  echo "$dest/salesbot-media-$stamp.tar.gz"
fi
