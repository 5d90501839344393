// The netsym spec language: one statement per line (or separated by ';'), '#' comments.
// Sums and products are flat lists (not left-recursive) so that a unit summing
// thousands of terms gives a shallow parse tree.
grammar NetSpec;

// The front end splits the token stream at newlines and ';' and parses each piece
// alone, so that one bad statement cannot confuse the error reports of the next.
statementLine : statement EOF ;

statement
    : NETWORK name=ident                                   # networkStmt
    | INPUT vectorDecl (',' vectorDecl)*                   # inputStmt
    | TARGET vectorDecl (',' vectorDecl)*                  # targetStmt
    | PARAM vectorDecl (',' vectorDecl)*                   # paramStmt
    | ACTIVATION ident (',' ident)*                        # activationStmt
    | LAYER ident '[' INT ']' '=' sum                      # layerStmt
    | OBJECTIVE sum                                        # objectiveStmt
    | INIT selector '=' initValue                          # initStmt
    | DATA binding (',' binding)*                          # dataStmt
    | ASSUME condition (',' condition)*                    # assumeStmt
    | OPTIMIZER ident                                      # optimizerStmt
    | LR selector '=' signedNumber                         # learningRateStmt
    | ref '=' sum                                          # unitStmt
    ;

vectorDecl : ident ('[' INT (',' INT)* ']')? ;

selector      : ALL | selectorItem (',' selectorItem)* ;
selectorItem  : selectorName ('[' selectorIndex (',' selectorIndex)* ']')? ;
selectorName  : (ident | '*' | '?')+ ;
selectorIndex : (INT | '*' | '?')+ ;

initValue : RANDOM | signedNumber | scaledSymbol ;
scaledSymbol : neg='-'? (scale=number '*')? ident ('/' divisor=number)? ;
binding   : ref '=' (signedNumber | numberList) ;
numberList : '[' signedNumber (',' signedNumber)* ']' ;
condition : ident op=('<' | '<=' | '>' | '>=') signedNumber ;
signedNumber : '-'? NUMBER ('/' NUMBER)? | '-'? INT ('/' INT)? ;

sum     : product (addOps+=('+' | '-') product)* ;
product : unary (mulOps+=('*' | '/' | '@') unary)* ;
unary   : '-' unary | power ;
power   : atom ('^' unary)? ;
atom    : number | call | ref | slice | '(' sum ')' indices? ;
number  : NUMBER | INT ;
call    : ident '(' sum (',' sum)* ')' ;
ref     : ident ('[' INT (',' INT)* ']')? ;
// A slice has a range in at least one position (x[2:4], W[:,1]); x[2] stays an element.
slice   : ident '[' (INT ',')* range (',' index)* ']' ;
indices : '[' index (',' index)* ']' ;
index   : INT | range ;
range   : from=INT? ':' to=INT? ;

// Keywords may also be used as names (a parameter called 'data' is fine).
ident : ID | NETWORK | INPUT | TARGET | PARAM | ACTIVATION | LAYER | OBJECTIVE | INIT | DATA
      | ASSUME | OPTIMIZER | LR | ALL | RANDOM ;

NETWORK    : 'network' ;
INPUT      : 'input' ;
TARGET     : 'target' ;
PARAM      : 'param' ;
ACTIVATION : 'activation' ;
LAYER      : 'layer' ;
OBJECTIVE  : 'objective' ;
INIT       : 'init' ;
DATA       : 'data' ;
ASSUME     : 'assume' ;
OPTIMIZER  : 'optimizer' ;
LR         : 'lr' ;
ALL        : 'all' ;
RANDOM     : 'random' ;

INT     : [0-9]+ ;
NUMBER  : [0-9]+ '.' [0-9]* EXPONENT? | '.' [0-9]+ EXPONENT? | [0-9]+ EXPONENT ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;
ID      : [a-zA-Z_] [a-zA-Z_0-9]* ;

COMMENT      : '#' ~[\r\n]* -> skip ;
CONTINUATION : '\\' [ \t]* '\r'? '\n' -> skip ;
NEWLINE      : '\r'? '\n' | '\r' ;
SEMICOLON    : ';' ;
WS           : [ \t\f]+ -> skip ;
UNKNOWN_CHAR : . ;
