"""Training referral: the programme catalogue and the referral flow."""
