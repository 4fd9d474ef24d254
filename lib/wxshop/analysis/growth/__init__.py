"""Growth: where the path to payment breaks (``funnel``), when customers buy (``timing``) and
whether invitations bring customers worth keeping (``fission``).

Conventions shared by every function here:

- paid order: ``status == "paid"``, or every order when there is no status column
  (:func:`wxshop.analysis.paid.paid_mask`);
- times are the shop's wall clock as recorded (no time-zone conversion); weekdays count
  Monday = 0 … Sunday = 6; hours 0–23;
- money in CNY (rounded to the fen in outputs), shares 0–1; a ratio with an empty
  denominator is NaN.
"""
