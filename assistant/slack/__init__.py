"""The Slack bot: the same assistant, reached by mention, direct message or `/ask`, answering in
threads with cited sources and 👍/👎. Bolt does the protocol; this package only formats and routes."""
