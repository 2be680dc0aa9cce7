#!/usr/bin/env python3
# check-css.py FILE...: a cheap sanity check of a style sheet (no CSS linter
# in Debian's bookworm main): comments closed, braces balanced and never
# nested past a block, and inside a block every declaration "name: value"
# ended by ";" (a forgotten ";" makes two declarations one, which the
# browser drops silently).  One line per problem; exit status 1 if any.
import re
import sys

DECL = re.compile(r'^-{0,2}[a-zA-Z][a-zA-Z0-9-]*\s*:\s*\S')
NAME = re.compile(r'(?:^|\s)-{0,2}[a-zA-Z][a-zA-Z0-9-]*\s*:\s')


def check(path):
    text = open(path, encoding='utf-8').read()
    problems = []
    if text.count('/*') != text.count('*/'):
        problems.append('unclosed comment')
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    depth = 0
    line = 1
    body = ''
    for ch in text:
        if ch == '\n':
            line += 1
        if ch == '{':
            depth += 1
            body = ''
            if depth > 1:
                problems.append(f'line {line}: a block inside a block')
        elif ch == '}':
            depth -= 1
            if depth < 0:
                problems.append(f'line {line}: "}}" without "{{"')
                depth = 0
            decls = [d.strip() for d in body.split(';')]
            if decls and decls[-1] == '':
                decls.pop()
            elif decls and decls[-1]:
                problems.append(f'line {line}: no ";" after the last declaration')
            for d in decls:
                if not DECL.match(d):
                    problems.append(f'line {line}: not a declaration: {d!r}')
                elif len(NAME.findall(' ' + d)) > 1:
                    problems.append(f'line {line}: a ";" missing in {d!r}')
        elif depth:
            body += ch
    if depth:
        problems.append('a "{" never closed')
    for p in problems:
        print(f'{path}: {p}')
    return not problems


sys.exit(0 if all([check(p) for p in sys.argv[1:]]) else 1)
