#!/usr/bin/env bash
# 恢复：把 bin/backup.sh 生成的备份目录恢复到一个新的数据库和一个新的（空的）上传文件目录。
#
#   DATABASE_URL=postgres://用户:密码@主机:5432/新库名 MEDIA_ROOT=/data/media-restored bin/restore.sh 备份目录
#
# 新库不存在时创建（连接同一服务器的 postgres 库执行 CREATE DATABASE，需要建库权限）；已存在且有表时
# 拒绝恢复，不覆盖任何数据。上传文件目录须不存在或为空。恢复前先核对 SHA256SUMS。
set -euo pipefail

backup="${1:?用法：bin/restore.sh 备份目录}"
: "${DATABASE_URL:?请设置 DATABASE_URL（恢复到的新数据库）}"
: "${MEDIA_ROOT:?请设置 MEDIA_ROOT（恢复到的新上传文件目录）}"
for f in database.dump media.tar.gz SHA256SUMS; do
  [ -f "$backup/$f" ] || { echo "备份目录 $backup 中缺少 $f。" >&2; exit 2; }
done
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || { echo "备份文件校验失败（SHA256SUMS 不符），停止恢复。" >&2; exit 2; }

# postgres://user:pass@host:port/name?options → the server's maintenance database and the name.
without_query="${DATABASE_URL%%\?*}"
query="${DATABASE_URL#"$without_query"}"
name="${without_query##*/}"
server="${without_query%/*}"
[[ "$name" =~ ^[A-Za-z0-9_]+$ ]] || { echo "数据库名 $name 只能含字母、数字和下划线。" >&2; exit 2; }

exists=$(psql "$server/postgres$query" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")
if [ "$exists" = "1" ]; then
  tables=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  if [ "$tables" != "0" ]; then
    echo "数据库 $name 已有 $tables 张表：恢复只写入新的空库，请换一个库名。" >&2; exit 3
  fi
else
  psql "$server/postgres$query" -qc "CREATE DATABASE \"$name\""
fi

if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "上传文件目录 $MEDIA_ROOT 不为空：恢复只写入新的空目录。" >&2; exit 3
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$backup/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$backup/media.tar.gz"
echo "恢复完成：数据库 $name，上传文件目录 $MEDIA_ROOT。" >&2
