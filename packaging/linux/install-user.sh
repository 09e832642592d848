#!/usr/bin/env sh
# Install the built app (build/dist/masthead, from `python3 dev.py package`) for the current user:
# the app folder in ~/.local/opt/masthead, `masthead` in ~/.local/bin, the menu entry, the AppStream
# metainfo and the icons under ~/.local/share. Run it again to update; remove with --uninstall.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=${PREFIX:-$HOME/.local}
app_id=org.masthead.Masthead

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$prefix/opt/masthead" "$prefix/bin/masthead" "$prefix/share/applications/$app_id.desktop" \
        "$prefix/share/metainfo/$app_id.metainfo.xml" "$prefix/share/icons/hicolor/scalable/apps/$app_id.svg"
    for size in 16 24 32 48 64 128 256 512; do
        rm -f "$prefix/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
    done
    echo "Masthead removed from $prefix"
    exit 0
fi

dist="$root/build/dist/masthead"
if [ ! -x "$dist/masthead" ]; then
    echo "no build in $dist: run 'python3 dev.py package' first" >&2
    exit 1
fi
mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/applications" "$prefix/share/metainfo" \
    "$prefix/share/icons/hicolor/scalable/apps"
rm -rf "$prefix/opt/masthead"
cp -R "$dist" "$prefix/opt/masthead"
ln -sf "$prefix/opt/masthead/masthead" "$prefix/bin/masthead"
sed "s|^Exec=masthead|Exec=$prefix/bin/masthead|" "$here/$app_id.desktop" > "$prefix/share/applications/$app_id.desktop"
cp "$here/$app_id.metainfo.xml" "$prefix/share/metainfo/"
cp "$root/resources/icons/masthead.svg" "$prefix/share/icons/hicolor/scalable/apps/$app_id.svg"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$prefix/share/icons/hicolor/${size}x${size}/apps"
    cp "$root/resources/icons/masthead-$size.png" "$prefix/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$prefix/share/applications" || true
echo "Masthead installed in $prefix (run 'masthead', or find it in the applications menu)"
