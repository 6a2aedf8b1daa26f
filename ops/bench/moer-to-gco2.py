"""WattTime's CAISO North sample is marginal intensity in lbs/MWh with its own header: writes it in the canonical
format (datetime_utc,gco2_per_kwh; x 0.45359237). Usage: moer-to-gco2.py SOURCE DESTINATION"""
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(src) as f, open(dst, "w") as o:
    next(f)
    o.write("datetime_utc,gco2_per_kwh\n")
    for line in f:
        t, v = line.strip().split(",")
        o.write(t.replace(" ", "T") + "Z," + "%.3f\n" % (float(v) * 0.45359237))
