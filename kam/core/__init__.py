"""The core every concern stands on: settings, the clock, the database and its models, periods, money, access, audit, text and formats, validation and writes."""
