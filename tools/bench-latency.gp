# One latency family's results as horizontal bars, one per row of its CSV (tools/bench2csv.py
# of the family's JSON lines): the median in instructions, labelled with the row's label.
# Usage: gnuplot -c tools/bench-latency.gp FAMILY.csv OUT.png TITLE
if (ARGC < 3) { print "usage: gnuplot -c tools/bench-latency.gp in.csv out.png title"; exit status 2 }
set datafile separator ","
set datafile columnheaders
stats ARG1 using (column("Median")) nooutput
rows = STATS_records
set terminal pngcairo noenhanced size 1100, 120 + 24 * rows font "sans,10"
set output ARG2
set title sprintf("Kairos %s latency, release kernel, QEMU -icount (median of the samples)", ARG3)
set xlabel "instructions (= ns under -icount shift=0)"
set yrange [rows - 0.5:-0.5]
set ytics scale 0
set grid xtics
set key off
set style fill solid 0.7 border -1
# A wide spread (the vm family: 1 to 2048 pages) reads better on a log axis.
if (STATS_max > 50 * STATS_min) { set logscale x; set xrange [STATS_min / 2:STATS_max * 2] } \
else { set xrange [0:STATS_max * 1.15] }
plot ARG1 using (column("Median") / 2):0:(column("Median") / 2):(0.35):yticlabels(stringcolumn("label")) \
         with boxxyerror lc rgb "#4a7ab5", \
     '' using (column("Median")):0:(sprintf(" %d", column("Median"))) with labels left
