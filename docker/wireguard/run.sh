#!/bin/sh
# MnetiFi's WireGuard endpoint (docker/compose.yaml's `wireguard` service, NET_ADMIN). radiusd, api and worker
# share this container's network namespace, so the routers' RADIUS arrives from their tunnel addresses (their NAS
# addresses) and CoA and the RouterOS API leave from the server's tunnel address, with no NAT in between.
# Brings the interface up from the config `mnetifi vpn server-config` wrote, then applies every rewrite the API
# makes on provisioning (same file, shared volume) with `wg syncconf`, which keeps the other peers' sessions.
set -eu
iface="${VPN_INTERFACE:-wg0}"
conf="/etc/wireguard/${iface}.conf"
every="${WG_SYNC_SECONDS:-2}"

if [ ! -f "$conf" ]; then
  echo "mnetifi-wireguard: $conf is missing (mnetifi vpn server-config --out $conf writes it)" >&2
  exit 1
fi
wg-quick up "$iface"
stop() {
  wg-quick down "$iface" || true
  exit 0
}
trap stop TERM INT
applied="$(cksum < "$conf")"
echo "mnetifi-wireguard: $iface up; applying changes to $conf every ${every}s"
while :; do
  sleep "$every" &
  wait $! || true
  current="$(cksum < "$conf")"
  [ "$current" = "$applied" ] && continue
  if wg-quick strip "$iface" > "/run/$iface.stripped" && wg syncconf "$iface" "/run/$iface.stripped"; then
    applied="$current"
    echo "mnetifi-wireguard: applied $conf ($(grep -c '^\[Peer\]' "$conf" || true) peers)"
  fi
done
