// The browser's IANA time zone, so the server renders times in the user's local time.
export function timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
