// Expands an iCalendar file the way Thunderbird does (Mozilla's ical.js), between two dates.
// Usage: node expand.mjs FILE FROM TO  ->  JSON list of {uid, start, status, summary}
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, from, to] = process.argv.slice(2);
const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const start = ICAL.Time.fromJSDate(new Date(from), true);
const end = ICAL.Time.fromJSDate(new Date(to), true);
const events = root.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
const masters = new Map();
for (const event of events) {
  if (!event.isRecurrenceException()) masters.set(event.uid, event);
}
for (const event of events) {
  if (event.isRecurrenceException() && masters.has(event.uid)) masters.get(event.uid).relateException(event);
}
const out = [];
const statusOf = (item) => item.component.getFirstPropertyValue("status") || "CONFIRMED";
for (const event of masters.values()) {
  if (!event.isRecurring()) {
    const when = event.startDate;
    if (when.compare(start) >= 0 && when.compare(end) < 0) {
      out.push({ uid: event.uid, start: when.toJSDate().toISOString(), status: statusOf(event), summary: event.summary });
    }
    continue;
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.compare(end) < 0; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    if (details.startDate.compare(start) < 0) continue;
    out.push({
      uid: event.uid,
      start: details.startDate.toJSDate().toISOString(),
      status: statusOf(details.item),
      summary: details.item.summary,
    });
  }
}
out.sort((a, b) => (a.start + a.uid).localeCompare(b.start + b.uid));
process.stdout.write(JSON.stringify(out));
