"""Participants (mentees and mentors), their sign-up, interviews and consents."""
