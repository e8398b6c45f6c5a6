package io.zero4j.model.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates expressions in a scope; a failure inside one is reported with that expression's line. */
final class Evaluator {
    Object eval(Expr e, Scope scope) {
        try {
            return evaluate(e, scope);
        } catch (TemplateException ex) {
            throw ex.withLine(e.line());
        } catch (RuntimeException ex) {
            throw TemplateException.internal(e.line(), ex);
        }
    }

    private Object evaluate(Expr e, Scope scope) {
        if (e instanceof Expr.Literal l) {
            return l.value();
        }
        if (e instanceof Expr.Name n) {
            return scope.lookup(n.name());
        }
        if (e instanceof Expr.Attribute a) {
            return Attributes.get(eval(a.object(), scope), a.name());
        }
        if (e instanceof Expr.Item i) {
            return Attributes.item(eval(i.object(), scope), eval(i.key(), scope));
        }
        if (e instanceof Expr.Slice s) {
            return Attributes.slice(eval(s.object(), scope), optional(s.start(), scope), optional(s.stop(), scope),
                    optional(s.step(), scope));
        }
        if (e instanceof Expr.Call c) {
            return call(c, scope);
        }
        if (e instanceof Expr.Filter f) {
            return Filters.apply(f.name(), eval(f.operand(), scope), arguments(f.name(), f.args(), scope));
        }
        if (e instanceof Expr.Test t) {
            return Tests.apply(t.name(), eval(t.operand(), scope), arguments(t.name(), t.args(), scope)) != t.negated();
        }
        if (e instanceof Expr.Conditional c) {
            if (Values.truthy(eval(c.condition(), scope))) {
                return eval(c.then(), scope);
            }
            return c.otherwise() == null ? Undefined.INSTANCE : eval(c.otherwise(), scope);
        }
        return evaluateOperator(e, scope);
    }

    private Object evaluateOperator(Expr e, Scope scope) {
        if (e instanceof Expr.Unary u) {
            Object v = eval(u.operand(), scope);
            return switch (u.op()) {
                case "not" -> !Values.truthy(v);
                case "-" -> Operators.negate(v);
                default -> Operators.plus(v);
            };
        }
        if (e instanceof Expr.Binary b) {
            Object left = eval(b.left(), scope);
            return switch (b.op()) {
                case "and" -> Values.truthy(left) ? eval(b.right(), scope) : left;
                case "or" -> Values.truthy(left) ? left : eval(b.right(), scope);
                default -> Operators.binary(b.op(), left, eval(b.right(), scope));
            };
        }
        if (e instanceof Expr.Compare c) {
            return compare(c, scope);
        }
        return evaluateLiteral(e, scope);
    }

    private Object evaluateLiteral(Expr e, Scope scope) {
        if (e instanceof Expr.ListLiteral l) {
            return evalAll(l.items(), scope);
        }
        if (e instanceof Expr.TupleLiteral t) {
            return new Tuple(evalAll(t.items(), scope));
        }
        Expr.DictLiteral d = (Expr.DictLiteral) e;
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < d.keys().size(); i++) {
            map.put(eval(d.keys().get(i), scope), eval(d.values().get(i), scope));
        }
        return map;
    }

    private boolean compare(Expr.Compare c, Scope scope) {
        Object left = eval(c.first(), scope);
        for (int i = 0; i < c.ops().size(); i++) {
            String op = c.ops().get(i);
            Object right = eval(c.rest().get(i), scope);
            boolean holds = switch (op) {
                case "==" -> Values.equal(left, right);
                case "!=" -> !Values.equal(left, right);
                case "in" -> Operators.contains(right, left);
                case "not in" -> !Operators.contains(right, left);
                case "<" -> Values.compare(left, right, op) < 0;
                case "<=" -> Values.compare(left, right, op) <= 0;
                case ">" -> Values.compare(left, right, op) > 0;
                default -> Values.compare(left, right, op) >= 0;
            };
            if (!holds) {
                return false;
            }
            left = right;
        }
        return true;
    }

    private Object call(Expr.Call c, Scope scope) {
        Object callee = eval(c.callee(), scope);
        if (callee instanceof TemplateFunction f) {
            Args args = arguments("", c.args(), scope);
            return Values.normalize(f.call(args.positional(), args.keyword()));
        }
        if (c.callee() instanceof Expr.Attribute a) {
            Object receiver = eval(a.object(), scope);
            throw new TemplateException(receiver instanceof Undefined ? "cannot call '" + a.name() + "' on an undefined value"
                    : "'" + Values.typeName(receiver) + "' object has no method '" + a.name() + "'");
        }
        if (c.callee() instanceof Expr.Name n && callee instanceof Undefined) {
            throw new TemplateException("'" + n.name() + "' is undefined and cannot be called");
        }
        throw new TemplateException("'" + Values.typeName(callee) + "' object is not callable");
    }

    Args arguments(String callee, Expr.Arguments args, Scope scope) {
        if (args.positional().isEmpty() && args.keyword().isEmpty()) {
            return Args.NONE.named(callee);
        }
        Map<String, Object> keyword = new LinkedHashMap<>();
        args.keyword().forEach((name, value) -> keyword.put(name, eval(value, scope)));
        return new Args(callee, evalAll(args.positional(), scope), keyword);
    }

    private List<Object> evalAll(List<Expr> items, Scope scope) {
        List<Object> values = new ArrayList<>(items.size());
        for (Expr item : items) {
            values.add(eval(item, scope));
        }
        return values;
    }

    private Object optional(Expr e, Scope scope) {
        return e == null ? null : eval(e, scope);
    }
}
