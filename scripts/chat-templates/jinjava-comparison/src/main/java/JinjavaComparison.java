import com.fasterxml.jackson.databind.*;
import com.hubspot.jinjava.*;
import java.nio.file.*;
import java.util.*;
/** Renders model/src/test/resources/chat/cases.json with jinjava and counts the renders identical to @huggingface/jinja's (model/README.md, chat templates). */
public class JinjavaComparison {
  public static void main(String[] a) throws Exception {
    Path repo = Path.of(a[0]); Path fx = repo.resolve("model/src/test/resources/chat");
    ObjectMapper om = new ObjectMapper();
    JinjavaConfig cfg = JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build();
    Jinjava jj = new Jinjava(cfg);
    int ok = 0, n = 0;
    for (JsonNode c : om.readTree(fx.resolve("cases.json").toFile())) {
      n++;
      JsonNode tc = om.readTree(repo.resolve(c.get("tokenizer").asText()).resolve("tokenizer_config.json").toFile());
      String src = tc.get("chat_template").asText();
      Map<String,Object> conv = om.convertValue(om.readTree(fx.resolve("conversations").resolve(c.get("conversation").asText()).toFile()), Map.class);
      Map<String,Object> vars = new LinkedHashMap<>();
      for (String t : List.of("bos_token","eos_token")) { JsonNode v = tc.get(t); if (v != null && v.isTextual()) vars.put(t, v.asText()); if (v != null && v.isObject()) vars.put(t, v.get("content").asText()); }
      vars.put("messages", conv.get("messages")); vars.put("tools", conv.get("tools")); vars.put("add_generation_prompt", c.get("add_generation_prompt").asBoolean());
      if (c.has("variables")) vars.putAll(om.convertValue(c.get("variables"), Map.class));
      String expected = Files.readString(fx.resolve(c.get("name").asText() + ".expected.txt"));
      String got;
      try { var r = jj.renderForResult(src, vars); got = r.getOutput(); if (!r.getErrors().isEmpty()) System.out.println("  errors: " + r.getErrors().get(0).getMessage()); }
      catch (Exception e) { got = "EXC " + e; }
      boolean same = expected.equals(got); if (same) ok++;
      System.out.println(c.get("name").asText() + ": " + (same ? "same" : "DIFFERS")); if (!same) { int i=0; while (i<Math.min(expected.length(),got.length()) && expected.charAt(i)==got.charAt(i)) i++; System.out.println("   at " + i + " expected [" + expected.substring(i, Math.min(expected.length(), i+60)).replace("\n","\\n") + "] got [" + got.substring(i, Math.min(got.length(), i+60)).replace("\n","\\n") + "]"); }
    }
    System.out.println("jinjava 2.8.2: " + ok + "/" + n + " identical");
  }
}
