package io.zero4j.rewards.math;

import io.zero4j.rewards.Budget;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed answer: a tree of numbers, variables and operations, evaluated exactly where it can be
 * (see {@link Value}) and at chosen points for its variables.
 */
public sealed interface Expression {
    Value eval(Map<String, Value> env, Budget budget);

    void collectVariables(Set<String> out);

    default Set<String> variables() {
        Set<String> out = new TreeSet<>();
        collectVariables(out);
        return out;
    }

    record Constant(Value value) implements Expression {
        public Value eval(Map<String, Value> env, Budget budget) {
            return value;
        }

        public void collectVariables(Set<String> out) {
        }
    }

    record Variable(String name) implements Expression {
        public Value eval(Map<String, Value> env, Budget budget) {
            Value v = env.get(name);
            return v == null ? Value.NAN : v;
        }

        public void collectVariables(Set<String> out) {
            out.add(name);
        }
    }

    enum Op { ADD, SUB, MUL, DIV, POW }

    record Binary(Op op, Expression left, Expression right) implements Expression {
        public Value eval(Map<String, Value> env, Budget budget) {
            budget.check();
            Value a = left.eval(env, budget);
            Value b = right.eval(env, budget);
            return switch (op) {
                case ADD -> a.add(b);
                case SUB -> a.add(b.negate());
                case MUL -> a.multiply(b);
                case DIV -> a.divide(b);
                case POW -> a.pow(b);
            };
        }

        public void collectVariables(Set<String> out) {
            left.collectVariables(out);
            right.collectVariables(out);
        }
    }

    enum Fn { NEG, SQRT, SIN, COS, TAN, LN, LOG, EXP }

    record Unary(Fn fn, Expression arg) implements Expression {
        public Value eval(Map<String, Value> env, Budget budget) {
            budget.check();
            Value a = arg.eval(env, budget);
            return switch (fn) {
                case NEG -> a.negate();
                case SQRT -> a.sqrt();
                case SIN -> Value.real(Math.sin(a.toDouble()));
                case COS -> Value.real(Math.cos(a.toDouble()));
                case TAN -> Value.real(Math.tan(a.toDouble()));
                case LN -> Value.real(Math.log(a.toDouble()));
                case LOG -> Value.real(Math.log10(a.toDouble()));
                case EXP -> Value.real(Math.exp(a.toDouble()));
            };
        }

        public void collectVariables(Set<String> out) {
            arg.collectVariables(out);
        }
    }
}
