"""Notifications, pure: what happened since the last run (events), who it concerns (routing), what to send
when (the plan and its record), and the messages' text. No disk, no Git, no network: `wol/commands/notify.py`
reads the graphs and the record, and `wol/engines/mail.py` and `chat.py` send.
"""
