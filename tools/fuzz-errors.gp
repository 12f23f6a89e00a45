# The replies of a fuzzing campaign by seL4 error code, as bars on a log scale:
#   gnuplot -e "dir='build/qemu-arm-virt/fuzz'" tools/fuzz-errors.gp
# reads dir/errors.csv (code,name,replies; tools/fuzz.py writes it) and writes
# dir/errors.png. A code no reply had is left out (a log scale has no zero).
if (!exists("dir")) dir = "."
if (!exists("title")) title = "fuzzing campaign: invocation replies by error code"
errors = dir . "/errors.csv"
set datafile separator ","
set datafile columnheaders

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1000,600 noenhanced font "sans,11"
} else {
    set terminal png size 1000,600 noenhanced
}
set output dir . "/errors.png"

set title title
set ylabel "replies (log scale)"
set logscale y
set yrange [0.8:*]
set style fill solid 0.8 border -1
set boxwidth 0.7
set xtics rotate by -35 nomirror
set grid ytics
unset key
nonzero(v) = v > 0 ? v : NaN
plot errors using 0:(nonzero(column("replies"))):xtic(stringcolumn("name")) with boxes lc rgb "#4878b8", \
     "" using 0:(nonzero(column("replies"))):(sprintf("%d", column("replies"))) with labels offset 0,0.8 font ",9"
