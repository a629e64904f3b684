# Sourced by the scripts that wait for a server: `answers URL` succeeds when a GET of URL is answered
# with a success status within 2 s (Python's standard library: no curl needed on a fresh machine).
answers() {
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null
}
