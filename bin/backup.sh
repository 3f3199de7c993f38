#!/usr/bin/env bash
# 备份：PostgreSQL 数据库（pg_dump 自定义格式）和上传文件（MEDIA_ROOT 打包）放进同一个带日期的目录。
#
#   DATABASE_URL=postgres://用户:密码@主机:5432/库名 MEDIA_ROOT=/data/media bin/backup.sh [备份根目录]
#
# 备份根目录默认 $BACKUP_DIR，再默认 ./backups；成功时最后一行输出本次备份目录。
# 目录内：database.dump（pg_restore 可读）、media.tar.gz、SHA256SUMS。见 README「备份与恢复」。
set -euo pipefail

: "${DATABASE_URL:?请设置 DATABASE_URL（postgres://用户:密码@主机:5432/库名）}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "只支持 PostgreSQL：DATABASE_URL 应以 postgres:// 开头。" >&2; exit 2 ;;
esac
MEDIA_ROOT="${MEDIA_ROOT:-${DATA_DIR:-var}/media}"
ROOT="${1:-${BACKUP_DIR:-backups}}"

target="$ROOT/$(date +%Y%m%d-%H%M%S)"
if [ -e "$target" ]; then target="$target-$$"; fi
mkdir -p "$target"
trap 'echo "备份失败，未完成的目录：$target" >&2' ERR

# One consistent snapshot of the database (pg_dump runs in a single repeatable-read transaction).
pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" "$DATABASE_URL"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -czf "$target/media.tar.gz" .
(cd "$target" && sha256sum database.dump media.tar.gz > SHA256SUMS)

echo "备份完成：数据库 $(du -h "$target/database.dump" | cut -f1)，上传文件 $(du -h "$target/media.tar.gz" | cut -f1)。" >&2
echo "$target"
