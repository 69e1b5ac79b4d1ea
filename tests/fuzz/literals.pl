#!/usr/bin/perl
# literals.pl OUTDIR FILE.c...: writes every C string literal of the files
# (adjacent literals joined, escapes decoded) into OUTDIR, one file each.
use strict;
use warnings;
my $out = shift;
my $n = 0;
my %seen;
for my $f (@ARGV) {
	open(my $fh, '<:raw', $f) or die "$f: $!";
	local $/;
	my $src = <$fh>;
	close $fh;
	$src =~ s{/\*.*?\*/}{}gs;
	while ($src =~ /((?:"(?:[^"\\\n]|\\.)*"\s*)+)/g) {
		my $seq = $1;
		my $s = '';
		while ($seq =~ /"((?:[^"\\\n]|\\.)*)"/g) {
			$s .= $1;
		}
		$s =~ s/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/decode($1)/ge;
		next if $seen{$s}++;
		open(my $o, '>:raw', sprintf("%s/lit-%04d", $out, $n++)) or die;
		print $o $s;
		close $o;
	}
}

sub decode {
	my $e = shift;
	return chr(hex(substr($e, 1)) & 0xFF) if $e =~ /^x/;
	return chr(oct($e) & 0xFF) if $e =~ /^[0-7]/;
	my %m = (n => "\n", r => "\r", t => "\t", a => "\a", b => "\b",
		 f => "\f", v => "\013", e => "\033");
	return exists $m{$e} ? $m{$e} : $e;
}
