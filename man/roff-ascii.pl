#!/usr/bin/perl
# roff-ascii.pl: scdoc's roff on stdin -> the same with every non-ASCII
# character written as \[uXXXX], so groff reads it without preconv, and a
# break point (\:) after each CJK character: Chinese has no spaces between
# words, and groff 1.22 cannot break such a line otherwise.
#
# scdoc keeps the source's line breaks, and roff turns each into a space,
# which Chinese must not have: a text line is joined to the next without one
# (\c) when the break falls between two CJK characters or next to CJK
# punctuation (，。：；、（）…).  A break next to a Latin word stays a space,
# as the sources write "用 Excel 编辑".  No-fill blocks and tables are left
# as they are.
use strict;
use warnings;
binmode STDIN, ':encoding(UTF-8)';

my $CJK = qr/[\x{2E80}-\x{9FFF}\x{3000}-\x{303F}\x{FF00}-\x{FFEF}]/;
my $CJK_PUNCT = qr/[\x{3000}-\x{303F}\x{FF00}-\x{FF0F}\x{FF1A}-\x{FF20}\x{FF3B}-\x{FF40}\x{FF5B}-\x{FF65}]/;
my $ESC = qr/(?:\\f[BIRP]|\\f\(..|\\&)/;

sub is_text { my ($l) = @_; return defined $l && $l ne '' && $l !~ /^[.']/; }

my @lines = <STDIN>;
chomp @lines;
my $nofill = 0;
for my $i (0 .. $#lines) {
	my $line = $lines[$i];
	$nofill = 1 if $line =~ /^\.(nf|TS)\b/;
	$nofill = 0 if $line =~ /^\.(fi|TE)\b/;
	my $join = 0;
	if (!$nofill && is_text($line) && is_text($lines[$i + 1])) {
		(my $end = $line) =~ s/(?:$ESC)+$//;
		(my $start = $lines[$i + 1]) =~ s/^(?:$ESC)+//;
		my $l = substr($end, -1);
		my $f = substr($start, 0, 1);
		$join = ($l =~ $CJK && $f =~ $CJK) || $l =~ $CJK_PUNCT || $f =~ $CJK_PUNCT;
	}
	# not inside requests' arguments that must stay one word (.TH, .SH)
	my $cjk_break = $line !~ /^\.(TH|SH|SS)\b/;
	$line =~ s{([^\x00-\x7f])}{
		my $c = ord $1;
		my $esc = sprintf('\[u%04X]', $c);
		$cjk_break && (($c >= 0x2E80 && $c <= 0x9FFF) || ($c >= 0x3000 && $c <= 0x303F) ||
		    ($c >= 0xFF00 && $c <= 0xFFEF)) ? "$esc\\:" : $esc;
	}ge;
	print $line, ($join ? "\\c" : ""), "\n";
}
