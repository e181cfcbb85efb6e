# Sourced by scripts/bench, scripts/bench-instructions and scripts/bench-memory:
# the sessions and ids their routes need, opened on a running server the way
# browsers do, and the server's memory sampled while it runs.
#   bench_journeys BASE DEMO_PRINTOUT CASES
# sets: case_path token identity_form session contact_id change_form
#       contact_path contact_session staff_session local_session
#       national_session fund_supervisor_session deep_cursor staff_case
#   staff_sign_in BASE USERNAME PASSWORD
# prints the session cookie of a staff sign-in made the way a browser does.
#   rss_samples PID [PHASE_FILE]
# prints "anonymous file-backed phase" (RSS in KiB; the phase is the first
# line of PHASE_FILE, or "-") every 0.2 s while PID runs: run it in the
# background, its output to a file (VmHWM only gives the sum's peak).
# shellcheck shell=bash
staff_sign_in() {
  curl -s -o /dev/null -D - -H "origin: $1" -H 'accept: text/html' \
    --data "username=$2&password=$3" "$1/api/staff/sign-in" \
    | awk -F'[: ;]+' 'tolower($1)=="set-cookie"{print $2; exit}'
}

rss_samples() {
  local pid="$1" phase_file="${2:-}" phase
  while kill -0 "$pid" 2>/dev/null; do
    phase=-
    [ -n "$phase_file" ] && phase=$(head -1 "$phase_file" 2>/dev/null || echo -)
    awk -v p="$phase" '/^RssAnon/{a=$2} /^RssFile/{f=$2} END{printf "%d %d %s\n", a, f, p}' \
      "/proc/$pid/status" 2>/dev/null || break
    sleep 0.2
  done
}

bench_journeys() {
  local base="$1" demo="$2" cases="$3" by bm bd born i contact_location
  # The patient journey of the first demo case: its link, its date of birth,
  # and a session opened the way a browser does.
  read -r case_path born < <(awk '/DEMO-0001/{sub(/^https?:\/\/[^\/]*/, "", $2); print $2, $4; exit}' "$demo")
  IFS=- read -r by bm bd <<<"$born"
  token="${case_path##*/}"
  identity_form="token=$token&day=$((10#$bd))&month=$((10#$bm))&year=$by"
  session=$(curl -s -o /dev/null -D - -H "origin: $base" -H 'accept: text/html' \
    --data "$identity_form" "$base/api/case/identity" | awk -F'[: ;]+' 'tolower($1)=="set-cookie"{print $2; exit}')

  # A declaration of 10 contacts and 3 places for that case, posted as the
  # browser does; the last contact's id is the one the "change" load rewrites.
  day_ago() { date -d "$1 days ago" +%-d; }; month_ago() { date -d "$1 days ago" +%-m; }; year_ago() { date -d "$1 days ago" +%Y; }
  contact_form() {
    echo "contact=$1&first_name=Bench&last_name=Contact$2&phone=0639980$(printf %03d "$2")&relationship=work&day=$(day_ago 1)&month=$(month_ago 1)&year=$(year_ago 1)&exposure_face_to_face=on&minor=non"
  }
  post() { curl -s -o /dev/null -D - -H "origin: $base" -H 'accept: text/html' -H "cookie: $session" --data "$2" "$base$1" | awk 'tolower($1)=="location:"{print $2}' | tr -d '\r'; }
  for i in $(seq 1 10); do contact_location=$(post /api/case/contact "$(contact_form nouveau "$i")"); done
  contact_id="${contact_location##*item-}"
  for i in 1 2 3; do
    post /api/case/place "place=nouveau&kind=restaurant&name=Bench$i&town=Lyon&day=$(day_ago 2)&month=$(month_ago 2)&year=$(year_ago 2)&attendance=20&setting=indoors&masks=non" >/dev/null
  done
  change_form=$(contact_form "$contact_id" 10)

  # The contact journey: the at-risk colleague of the notified demo case, whose
  # link opens a contact session at once.
  contact_path=$(awk '/\/c\/.* Léa /{sub(/^https?:\/\/[^\/]*/, "", $1); print $1; exit}' "$demo")
  contact_session=$(curl -s -o /dev/null -D - "$base$contact_path" | awk -F'[: ;]+' 'tolower($1)=="set-cookie"{print $2; exit}')

  # The tracers' console: the demo tracer signed in; a cursor deep in the
  # first-call queue (keyset pagination: no OFFSET); the notified demo case.
  # A demo account's session cookie (its password is on the demo's printout).
  sign_in() {
    staff_sign_in "$base" "$1" "$(awk -v u="$1" '$1==u && $3=="password:"{print $4; exit}' "$demo")"
  }
  staff_session=$(sign_in demo-tracer)
  # Organisations: a fund's tracer (the Somme's: one département of the 101
  # the generated cases are spread over), the national supervisor and a
  # fund's supervisor.
  local_session=$(sign_in demo-somme-tracer)
  national_session=$(sign_in demo-supervisor)
  fund_supervisor_session=$(sign_in demo-oise-supervisor)
  deep_cursor="$(date -d '5 days ago' +%F)~$((cases / 2))"
  staff_case=$(curl -s -H "cookie: $staff_session" "$base/equipe?q=DEMO-0005" \
    | grep -o 'href="/equipe/dossiers/[0-9]*"' | head -1 | tr -dc 0-9)
}
