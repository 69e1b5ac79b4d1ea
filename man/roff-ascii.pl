#!/usr/bin/perl
# roff-ascii.pl: scdoc's roff on stdin -> the same with every non-ASCII
# character written as \[uXXXX], so groff reads it without preconv, and a
# break point (\:) after each CJK character: Chinese has no spaces between
# words, and groff 1.22 cannot break such a line otherwise.
use strict;
use warnings;
binmode STDIN, ':encoding(UTF-8)';
while (my $line = <STDIN>) {
	# not inside requests' arguments that must stay one word (.TH, .SH)
	my $cjk_break = $line !~ /^\.(TH|SH|SS)\b/;
	$line =~ s{([^\x00-\x7f])}{
		my $c = ord $1;
		my $esc = sprintf('\[u%04X]', $c);
		$cjk_break && (($c >= 0x2E80 && $c <= 0x9FFF) || ($c >= 0x3000 && $c <= 0x303F) ||
		    ($c >= 0xFF00 && $c <= 0xFFEF)) ? "$esc\\:" : $esc;
	}ge;
	print $line;
}
