"""Real SMS providers, chosen by the SMS_BACKEND setting (agency.sms holds the protocol).

They live above `agency` because they are optional: the console backend stays the default.
"""
