"""Mentorships and their cycle: proposal, first meeting, agreement, phases, farewell."""
