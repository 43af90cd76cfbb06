#!/usr/bin/env bash
# Gives every empty secret in an env file (default .env) 32 random bytes written as hex; values
# already set are kept. `scripts/compose-env.sh [file]`
set -euo pipefail
file="${1:-.env}"
[[ -f "$file" ]] || { echo "no $file: cp .env.example $file first" >&2; exit 1; }
tmp="$(mktemp)"
while IFS= read -r line || [[ -n "$line" ]]; do
  if [[ "$line" =~ ^(INTERNAL_SECRET|ADMIN_TOKEN|PASSWORD_ENCRYPTION_KEY|CAPTURE_SECRET|IP_HASH_SECRET|WEBHOOK_SECRET_KEY|POSTGRES_PASSWORD)=$ ]]; then
    line="${line}$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
  fi
  printf '%s\n' "$line"
done <"$file" >"$tmp"
cat "$tmp" >"$file"
rm -f "$tmp"
chmod 600 "$file"
