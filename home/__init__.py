"""Each role's home page (issue 17): the short list of what waits for the person
logged in, every item one click from the page that does it. The top layer: it reads
every app below through their selectors and writes nothing."""
