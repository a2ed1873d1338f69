#!/bin/sh
# The console's static assets (host-sdk/console/assets/): data reaches the
# page only as text, so no file may use an HTML or code sink; the page runs
# under "script-src 'self'; style-src 'self'", so no inline script, style
# or event handler; nothing is fetched from the internet; and every file is
# embedded into xdr-host (listed in CONSOLE_ASSETS of
# host-sdk/console/local.mk, as gen-assets.sh wants), with no
# listed file missing. It only reads files: it runs the same under Wine.

. "$top_srcdir/tests/integration/lib.sh"

ASSETS="$top_srcdir/host-sdk/console/assets"
LOCAL_MK="$top_srcdir/host-sdk/console/local.mk"

[ -f "$ASSETS/index.html" ] && pass "the assets have an index.html" ||
	fail "the assets have an index.html" "no $ASSETS/index.html"

# hits FILE-GLOB-FIND-ARGS REGEX : the matching lines, FILE:LINE: TEXT,
# comments included (a sink in a comment invites its use).
hits() {
	regex=$1
	shift
	find "$ASSETS" -type f \( "$@" \) -exec grep -nHE "$regex" {} + \
		2>/dev/null | sed "s|^$ASSETS/||"
}

# no_hits DESCRIPTION REGEX FIND-ARGS... : one assertion.
no_hits() {
	desc=$1
	regex=$2
	shift 2
	found=$(hits "$regex" "$@")
	if [ -z "$found" ]; then
		pass "$desc"
	else
		fail "$desc"
		diag "$found"
	fi
}

# Sinks that parse text as HTML or code.
no_hits "no innerHTML or outerHTML in the assets" \
	'(inner|outer)HTML' -name '*.js' -o -name '*.html'
no_hits "no insertAdjacentHTML in the assets" \
	'insertAdjacentHTML' -name '*.js' -o -name '*.html'
no_hits "no document.write or writeln in the assets" \
	'document\.write' -name '*.js' -o -name '*.html'
no_hits "no eval in the assets" '(^|[^A-Za-z0-9_.])eval[[:space:]]*\(' \
	-name '*.js' -o -name '*.html'
no_hits "no new Function in the assets" 'new[[:space:]]+Function' \
	-name '*.js' -o -name '*.html'
no_hits "no timer started from a string" \
	"set(Timeout|Interval)[[:space:]]*\\([[:space:]]*['\"\`]" -name '*.js'
no_hits "no createContextualFragment or DOMParser" \
	'createContextualFragment|DOMParser|srcdoc[[:space:]]*[=:]|\.srcdoc' -name '*.js' -o \
	-name '*.html'
no_hits "no javascript: URL" 'javascript:' -name '*.js' -o -name '*.html'
no_hits "no style or on* attribute set from script" \
	"setAttribute[[:space:]]*\\([[:space:]]*['\"](style|on[a-z]+)['\"]" \
	-name '*.js'
no_hits "no style or on* attribute in an el() call" \
	"[{,][[:space:]]*['\"]?(style|on[a-z]+)['\"]?[[:space:]]*:" -name '*.js'
no_hits "no storage of anything (the CSRF token stays in a variable)" \
	'localStorage|sessionStorage|document\.cookie|indexedDB' -name '*.js'

# The HTML: every script is a file (src, empty body), no style element,
# no style or on* attribute (read tag by tag, across lines).
html_problems=$(find "$ASSETS" -type f -name '*.html' -exec perl -0777 -ne '
	my $f = $ARGV;
	while (/<script\b([^>]*)>(.*?)<\/script\s*>/gis) {
		my ($a, $b) = ($1, $2);
		print "$f: a script without src\n" if $a !~ /\bsrc\s*=/i;
		print "$f: an inline script body\n" if $b =~ /\S/;
	}
	print "$f: a <style> element\n" if /<style\b/i;
	while (/<[a-z][^>]*>/gis) {
		my $t = $&;
		print "$f: style attribute in $t\n" if $t =~ /\sstyle\s*=/i;
		print "$f: handler attribute in $t\n" if $t =~ /\son[a-z]+\s*=/i;
	}' {} + 2>&1)
[ -z "$html_problems" ] &&
	pass "no inline script, style or handler in the HTML" || {
	fail "no inline script, style or handler in the HTML"
	diag "$html_problems"
}
no_hits "no style= or on*= attribute written in a script" \
	'[[:space:]]style[[:space:]]*=|[[:space:]]on[a-z]+[[:space:]]*=[[:space:]]*["'"'"']' \
	-name '*.js'

# Nothing from the internet: no absolute URL as a src, an href, a CSS url()
# or an import (the CSS's data: image is its own).
no_hits "no src or href to another host" \
	'(src|href)[[:space:]]*=[[:space:]]*["'"'"']?(https?:)?//' -name '*.html'
no_hits "no module imported from another host" \
	"(import|from)[[:space:]]*\\(?[[:space:]]*['\"](https?:)?//" -name '*.js'
no_hits "no CSS import or url() of another host" \
	'@import|url\([[:space:]]*["'"'"']?(https?:)?//' -name '*.css'

# Every file is listed for embedding, and every listed file exists.
# The files of CONSOLE_ASSETS = \ ... (up to the first line without a
# backslash), as gen-assets.sh gets them.
listed=$(sed -n '/^CONSOLE_ASSETS[[:space:]]*=/,/[^\\]$/p' "$LOCAL_MK" |
	grep -oE 'host-sdk/console/assets/[^[:space:]\\]+' | sort -u)
present=$(cd "$top_srcdir" && find host-sdk/console/assets -type f \
	! -name README.md | sort)
missing=$(printf '%s\n' "$present" | while read -r f; do
	printf '%s\n' "$listed" | grep -qxF "$f" || printf '%s\n' "$f"
done)
[ -z "$missing" ] && pass "every asset is listed in CONSOLE_ASSETS" || {
	fail "every asset is listed in CONSOLE_ASSETS"
	diag "not listed: $missing"
}
gone=$(printf '%s\n' "$listed" | while read -r f; do
	[ -z "$f" ] || [ -f "$top_srcdir/$f" ] || printf '%s\n' "$f"
done)
[ -z "$gone" ] && pass "every listed asset exists" || {
	fail "every listed asset exists"
	diag "missing: $gone"
}

# The module graph: every import of an asset names an asset that exists.
broken=$(cd "$ASSETS" && for f in $(find js -name '*.js'); do
	d=$(dirname "$f")
	grep -oE "from '\\.[^']+'" "$f" | sed "s/from '//; s/'$//" |
		while read -r m; do
			[ -f "$d/$m" ] || printf '%s imports %s\n' "$f" "$m"
		done
done)
[ -z "$broken" ] && pass "every module import names an asset" || {
	fail "every module import names an asset"
	diag "$broken"
}

done_testing
