"""Who hears about what, in which words: the notification layer (issue 16).

- `rules`: the one table of event → audience → channels, with each rule's variables.
- `variables`: every variable a template may use, with its label and a sample.
- `defaults`: the texts every rule ships with, in both languages.
- `rendering`: the sandboxed template language, its validation, the SMS signature
  and segment count.
- `models`: an agency's own wording of a rule (`MessageTemplate`).
- `recipients`: who a message goes to, with their channel, language and quiet hours.
- `services`: `announce` writes the messages of an event into the outbox
  (agency.notifications), inside the caller's transaction.

It sits just above `agency` (whose outbox it writes) and below every app that has
something to say: orders, feedback and complaints call `announce` from the services that
write their events, and hand it the recipients they know (the customer, the staff).
"""
