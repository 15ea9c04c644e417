"""JKP: the claim rules, eligibility, the benefit schedule, the self-check and the calculator."""
