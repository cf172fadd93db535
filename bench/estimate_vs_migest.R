# Side-by-side with migest: ffs_demo on two pob,por,stock files, flows written as orig,dest,flow.
#   Rscript bench/estimate_vs_migest.R S1.csv S2.csv OUT.csv
# Prints the elapsed seconds of ffs_demo (without I/O) on stdout.
suppressMessages(library(migest))
args <- commandArgs(trailingOnly = TRUE)
s1 <- read.csv(args[1], stringsAsFactors = FALSE, na.strings = "")
s2 <- read.csv(args[2], stringsAsFactors = FALSE, na.strings = "")
places <- unique(c(as.vector(rbind(s1$pob, s1$por)), as.vector(rbind(s2$pob, s2$por))))
to_matrix <- function(d) {
  m <- matrix(0, length(places), length(places), dimnames = list(orig = places, dest = places))
  m[cbind(match(d$pob, places), match(d$por, places))] <- d$stock
  m
}
m1 <- to_matrix(s1)
m2 <- to_matrix(s2)
zero <- setNames(rep(0, length(places)), places)
elapsed <- system.time(f <- ffs_demo(stock_start = m1, stock_end = m2, births = zero,
                                     deaths = zero))[["elapsed"]]
od <- apply(f, c(1, 2), sum)
diag(od) <- 0
out <- data.frame(orig = rep(places, times = length(places)),
                  dest = rep(places, each = length(places)), flow = as.vector(od))
out <- out[out$orig != out$dest, ]
write.csv(out, args[3], row.names = FALSE, quote = FALSE)
cat(elapsed, "\n")
