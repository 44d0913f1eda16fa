"""The kit's store: SQLAlchemy models, engine set-up and schema migrations."""
